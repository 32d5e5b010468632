// The token lives in this tab only (sessionStorage: gone when the tab closes) and leaves it only as an
// Authorization header (api.ts). Never in a URL, never logged.

const KEY = "pulse-studio-token";

export function readToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
