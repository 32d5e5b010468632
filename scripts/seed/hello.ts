// The smallest pulse: measures the platform's own overhead in `npm run bench`.
export default async function run() {
  return { ok: true };
}
