/// Rows of our own, beyond upstream's table, that both `CheckSemverTests`
/// (in-memory registry) and `CheckTableTests` (real registry) run.
public enum OwnCheckTable {
    private typealias Row = CheckTableRow

    public static let rows: [CheckTableRow] = [
        Row("v-prefixed and plain tags of one digest keep the first listed",
            tags: ["1.2.3": "d1", "v1.2.3": "d1", "v1.3": "d2"], versions: ["1.2.3", "v1.3"]),
        Row("pre_release_prefixes add to alpha/beta/rc and allow further dashes",
            tags: ["1.0.0-dev.1": "d1", "1.0.0-build-5": "d2", "1.0.0-foo": "d3", "1.0.0-rc.1-x": "d4", "1.0.0": "d5"],
            versions: ["1.0.0-build-5", "1.0.0-dev.1", "1.0.0-rc.1-x", "1.0.0"])
            .with { $0.preReleases = true; $0.preReleasePrefixes = ["dev", "build"] },
        Row("pre_release_prefixes need pre_releases", tags: ["1.0.0-dev.1": "d1", "1.0.0": "d5"], versions: ["1.0.0"])
            .with { $0.preReleasePrefixes = ["dev"] },
        Row("constraint with pre-release floor admits pre-releases",
            tags: ["1.0.0-rc.1": "d1", "1.0.0": "d2", "2.0.0-beta": "d3", "latest": "d4"],
            versions: ["1.0.0-rc.1", "1.0.0", "2.0.0-beta"])
            .with { $0.preReleases = true; $0.constraint = ">=1.0.0-0" },
        Row("variant with dots keeps dot count of the version part",
            tags: ["1.2-php7.3": "d1", "1.2.0-php7.3": "d1", "php7.3": "d9"], versions: ["1.2.0-php7.3", "php7.3"])
            .with { $0.variant = "php7.3" },
        Row("equal versions with different digests are both kept, listing order for ties",
            tags: ["1.0": "d1", "1.0.0": "d2"], versions: ["1.0", "1.0.0"]),
        Row("cursor whose tag is gone is ignored", tags: ["1.0.0": "d1", "2.0.0": "d2"], versions: ["1.0.0", "2.0.0"])
            .with { $0.cursor = ("9.9.9", "d9") },
        Row("regex is unanchored and reports every tag of a digest",
            tags: ["xaby": "d1", "ab": "d1", "nope": "d2"], versions: ["ab", "xaby"])
            .with { $0.regex = "ab" },
        Row("regex ignores the cursor", tags: ["a1": "d1", "a2": "d2"], versions: ["a1", "a2"])
            .with { $0.regex = "a"; $0.cursor = ("a2", "d2") },
    ]
}
