/// Upstream's check_test.go "tracking semver tags" table (the registry-mirror
/// and HEAD-fallback rows are registry-client concerns, tested elsewhere).
/// `CheckSemverTests` runs it against the in-memory registry and
/// `CheckTableTests` against a real one; each suite adds rows of its own.
public enum UpstreamCheckTable {
    private typealias Row = CheckTableRow

    public static let rows: [CheckTableRow] = [
        Row("no semver tags", tags: ["non-semver-tag": "random-1"], versions: []),
        Row("no matching regex tags", tags: ["non-matching-regex-tag": "random-1"], versions: [])
            .with { $0.regex = "foo.*" },
        Row("latest tag", tags: ["non-semver-tag": "random-1", "latest": "random-2"], versions: ["latest"]),
        Row("simple tag regex",
            tags: ["1.0.0": "random-1", "non-semver-tag": "random-2", "gray": "random-3", "grey": "random-4"],
            versions: ["gray", "grey"])
            .with { $0.regex = "gr(a|e)y" },
        // Upstream's TagsToTime keys do not name these tags, so both times are
        // equal (zero, or the fixture default) and the registry's order stays.
        Row("simple tag regex where sorted is true",
            tags: ["1.0.0": "random-1", "non-semver-tag": "random-2",
                   "gem-182-git-6bd8a5e1a2b3": "random-3", "gem-1811-git-4bd8a5e1a244": "random-4"],
            versions: ["gem-1811-git-4bd8a5e1a244", "gem-182-git-6bd8a5e1a2b3"])
            .with {
                $0.regex = "gem-(\\d+)-git-([a-f0-9]{12})"
                $0.createdAtSort = true
                $0.created = ["gem-181-git-6bd8a5e1a2b3": "1970-01-01T00:00:10Z",
                              "gem-1337-git-4bd8a5e1a244": "1970-01-01T00:16:40Z"]
            },
        Row("regex override semver constraint",
            tags: ["1.0.0": "random-1", "1.2.1": "random-3", "1.2.2": "random-4", "2.0.0": "random-5",
                   "latest": "random-6", "gray": "random-7", "grey": "random-8"],
            versions: ["gray", "grey"])
            .with { $0.regex = "gr(a|e)y"; $0.constraint = "1.2.x" },
        Row("semver and non-semver tags", tags: ["1.0.0": "random-1", "non-semver-tag": "random-2"], versions: ["1.0.0"]),
        Row("regex maintain ordering",
            tags: ["1.0.0": "random-1", "3bd8a5e-dev": "random-2", "3bd8a5e-stage": "random-3",
                   "non-matching-regex-tag": "random-4", "67e3c33-dev": "random-5"],
            versions: ["3bd8a5e-dev", "67e3c33-dev"])
            .with { $0.regex = "^[0-9a-f]{7}-dev$" },
        Row("semver tag ordering", tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"],
            versions: ["1.0.0", "1.2.1", "2.0.0"]),
        Row("semver tag ordering with cursor", tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"],
            versions: ["1.2.1", "2.0.0"])
            .with { $0.cursor = ("1.2.1", "random-3") },
        Row("semver tag ordering with cursor with different digest",
            tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"],
            versions: ["1.0.0", "1.2.1", "2.0.0"])
            .with { $0.cursor = ("1.2.1", "bogus") },
        Row("semver constraint",
            tags: ["1.0.0": "random-1", "1.2.1": "random-3", "1.2.2": "random-4", "2.0.0": "random-5", "latest": "random-6"],
            versions: ["1.2.1", "1.2.2"])
            .with { $0.constraint = "1.2.x" },
        Row("prereleases ignored by default",
            tags: ["1.0.0-alpha.1": "random-0", "1.0.0": "random-1", "1.2.1-beta.1": "random-2",
                   "1.2.1": "random-3", "2.0.0-rc.1": "random-4", "2.0.0": "random-5"],
            versions: ["1.0.0", "1.2.1", "2.0.0"]),
    ] + [
        // Rows with pre_releases: true.
        Row("prereleases opted in",
            tags: ["1.0.0-alpha.1": "random-0", "1.0.0": "random-1", "1.2.1-beta.1": "random-2",
                   "1.2.1": "random-3", "2.0.0-rc.1": "random-4", "2.0.0": "random-5"],
            versions: ["1.0.0-alpha.1", "1.0.0", "1.2.1-beta.1", "1.2.1", "2.0.0-rc.1", "2.0.0"]),
        Row("prereleases do not include 'variants'",
            tags: ["1.0.0-alpha.1": "random-0", "1.0.0-beta.1": "random-1", "1.0.0-rc.1": "random-2", "1.0.0-foo.1": "random-3"],
            versions: ["1.0.0-alpha.1", "1.0.0-beta.1", "1.0.0-rc.1"]),
        Row("prereleases do not require dot",
            tags: ["1.0.0-alpha1": "random-0", "1.0.0-alpha2": "random-1", "1.0.0-beta1": "random-2",
                   "1.0.0-beta2": "random-3", "1.0.0-rc1": "random-4", "1.0.0-rc2": "random-5",
                   "1.0.0-foo1": "random-6", "1.0.0-foo2": "random-7"],
            versions: ["1.0.0-alpha1", "1.0.0-alpha2", "1.0.0-beta1", "1.0.0-beta2", "1.0.0-rc1", "1.0.0-rc2"]),
        Row("prereleases do not require number",
            tags: ["1.0.0-alpha": "random-0", "1.0.0-beta": "random-1", "1.0.0-rc": "random-2", "1.0.0-foo": "random-3"],
            versions: ["1.0.0-alpha", "1.0.0-beta", "1.0.0-rc"]),
        Row("final versions take priority over rcs",
            tags: ["1.0.0-rc.1": "random-2", "1.0.0-rc1": "random-2", "1.0.0-rc": "random-2", "1.0.0": "random-2"],
            versions: ["1.0.0"]),
    ].map { row in row.with { $0.preReleases = true } } + [
        Row("mixed specificity semver tags",
            tags: ["1": "random-1", "2": "random-2", "2.1": "random-2", "latest": "random-3", "3": "random-3",
                   "3.2": "random-3", "3.2.1": "random-3", "3.1": "random-4", "3.1.0": "random-4",
                   "3.0": "random-5", "3.0.0": "random-5"],
            versions: ["1", "2.1", "3.0.0", "3.1.0", "3.2.1"]),
        Row("semver tags with latest tag having unique digest",
            tags: ["1.0.0": "random-1", "non-semver-tag": "random-2", "latest": "random-3"],
            versions: ["1.0.0", "latest"]),
        Row("latest tag pointing to latest version",
            tags: ["1": "random-1", "2": "random-2", "3": "random-3", "latest": "random-3"], versions: ["1", "2", "3"]),
        Row("latest tag pointing to older version",
            tags: ["1": "random-1", "2": "random-2", "latest": "random-2", "3": "random-3"], versions: ["1", "2", "3"]),
        Row("variants",
            tags: ["latest": "random-1", "1.0.0": "random-1", "0.9.0": "random-2", "foo": "random-3",
                   "1.0.0-foo": "random-3", "0.9.0-foo": "random-4", "bar": "random-5", "1.0.0-bar": "random-5",
                   "0.9.0-bar": "random-6"],
            versions: ["0.9.0-foo", "1.0.0-foo"])
            .with { $0.variant = "foo" },
        Row("variant with bare variant tag pointing to unique digest",
            tags: ["latest": "random-1", "1.0.0": "random-1", "0.9.0": "random-2", "foo": "random-3",
                   "0.8.0-foo": "random-4", "bar": "random-5", "1.0.0-bar": "random-5", "0.9.0-bar": "random-6"],
            versions: ["0.8.0-foo", "foo"])
            .with { $0.variant = "foo" },
        Row("distinguishing additional variants from prereleases",
            tags: ["1.0.0-foo": "random-1", "1.0.0-rc.1-foo": "random-2", "1.0.0-alpha.1-foo": "random-3",
                   "1.0.0-beta.1-foo": "random-4", "1.0.0-bar-foo": "random-5", "1.0.0-rc.1-bar-foo": "random-6",
                   "1.0.0-alpha.1-bar-foo": "random-7", "1.0.0-beta.1-bar-foo": "random-8"],
            versions: ["1.0.0-alpha.1-foo", "1.0.0-beta.1-foo", "1.0.0-rc.1-foo", "1.0.0-foo"])
            .with { $0.variant = "foo"; $0.preReleases = true },
    ]
}
