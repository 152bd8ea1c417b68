/**
 * `JSON.stringify({ ...head, data })`, given the JSON text of `data` instead of the value: a
 * text made once can go into two documents without being serialized twice (Node 20 has no
 * `JSON.rawJSON`). `head` must not have a key `data`; `dataText` must be JSON.
 */
export function jsonWithData(head: Record<string, unknown>, dataText: string): string {
  const text = JSON.stringify(head);
  return text === '{}' ? `{"data":${dataText}}` : `${text.slice(0, -1)},"data":${dataText}}`;
}
