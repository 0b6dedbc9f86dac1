// Cuts text that goes into a header or a log line to a bounded length, saying how long it was.
// Never splits a UTF-16 surrogate pair, so the result still encodes as valid UTF-8.

export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = `… (${text.length} characters)`;
  let end = Math.max(0, max - note.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${note}`;
}
