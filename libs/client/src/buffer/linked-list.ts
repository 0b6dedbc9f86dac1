// A doubly linked list whose nodes are handles: removing or inserting next to a known node is
// O(1), which an array (splice, shift) cannot give a buffer that evicts and re-queues records
// from anywhere in the middle.

export interface ListNode<T> {
  readonly value: T;
  /** @internal links; undefined at the ends and once removed. */
  prev: ListNode<T> | undefined;
  next: ListNode<T> | undefined;
  list: LinkedList<T> | undefined;
}

export class LinkedList<T> {
  head: ListNode<T> | undefined;
  tail: ListNode<T> | undefined;
  size = 0;

  push(value: T): ListNode<T> {
    return this.insertBefore(undefined, value);
  }

  /** Inserts `value` before `next`, or at the end when `next` is undefined. */
  insertBefore(next: ListNode<T> | undefined, value: T): ListNode<T> {
    if (next !== undefined && next.list !== this) throw new Error('LinkedList.insertBefore: node is not in this list');
    const prev = next === undefined ? this.tail : next.prev;
    const node: ListNode<T> = { value, prev, next, list: this };
    if (prev === undefined) this.head = node;
    else prev.next = node;
    if (next === undefined) this.tail = node;
    else next.prev = node;
    this.size += 1;
    return node;
  }

  remove(node: ListNode<T>): void {
    if (node.list !== this) throw new Error('LinkedList.remove: node is not in this list');
    if (node.prev === undefined) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = undefined;
    node.next = undefined;
    node.list = undefined;
    this.size -= 1;
  }

  /** Values from head to tail. Removing the node just yielded is safe; other changes are not. */
  *values(): IterableIterator<T> {
    let node = this.head;
    while (node !== undefined) {
      const next = node.next;
      yield node.value;
      node = next;
    }
  }
}
