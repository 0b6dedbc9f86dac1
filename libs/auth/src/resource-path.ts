// Concrete resources, the things a request names: `/topics/orders`. Segments use Kafka's
// topic-name characters, so every topic has a resource and no resource is ambiguous (no empty,
// `.` or `..` segments that a path normaliser could fold into another resource).

export const MAX_RESOURCE_LENGTH = 1024;

const SEGMENT_CHARACTERS = /^[A-Za-z0-9._-]+$/;
const WELL_FORMED_RESOURCE = /^(?:\/[A-Za-z0-9._-]+)+$/;
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;

export const RESOURCE_EXPECTATION =
  'a path such as "/topics/orders": "/" followed by non-empty segments of A-Z a-z 0-9 . _ -, none of them "." or ".."';

/** Why `resource` is not a concrete resource path, or undefined when it is. */
export function resourceProblem(resource: string): string | undefined {
  if (resource.length > MAX_RESOURCE_LENGTH) {
    return `resource of ${resource.length} characters, expected at most ${MAX_RESOURCE_LENGTH}`;
  }
  if (!resource.startsWith('/')) return `resource ${JSON.stringify(resource)} does not start with "/"`;
  const segments = resource.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '') return `resource ${JSON.stringify(resource)} has an empty segment ${index + 1}`;
    if (segment === '.' || segment === '..') {
      return `resource ${JSON.stringify(resource)} has a ${JSON.stringify(segment)} segment`;
    }
    if (!SEGMENT_CHARACTERS.test(segment)) {
      return `resource ${JSON.stringify(resource)} has segment ${JSON.stringify(segment)} with characters outside A-Z a-z 0-9 . _ -`;
    }
  }
  return undefined;
}

/** The hot-path check: two regular expressions, no allocation. */
export function isResource(resource: string): boolean {
  return (
    resource.length <= MAX_RESOURCE_LENGTH && WELL_FORMED_RESOURCE.test(resource) && !DOT_SEGMENT.test(resource)
  );
}
