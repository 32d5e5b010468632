// semver: ranges, comparisons, increments.
import semver from "semver";

export default async function run() {
  return {
    satisfies: semver.satisfies("1.4.2", "^1.2.0"),
    max: semver.maxSatisfying(["1.2.3", "1.9.0", "2.0.0"], "~1.9 || <1.3"),
    inc: semver.inc("1.2.3", "prerelease", "beta"),
    coerce: semver.coerce("v2.1")?.version,
    sorted: semver.sort(["1.10.0", "1.2.0", "1.9.1"]),
  };
}
