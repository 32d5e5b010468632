// Small formatting helpers shared by the pages.

export const shortId = (id: string | null | undefined) => (id ? id.slice(0, 12) : "none");

export const today = () => new Date().toISOString().slice(0, 10);

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
