import ResourceCore

/// The resource's `source:` block, as upstream defines it.
public struct SourceConfiguration: Equatable, Sendable, JSONObjectReadable {
    public var repository: String
    /// Which versions `check` reports (and `tag`/`variant`, which `in` and `out` use too).
    public var versions: CheckSource
    public var username: String?
    public var password: String?
    public var insecure: Bool
    public var caCerts: [String]
    public var registryMirror: RegistryMirrorSettings?
    public var platform: PlatformSelection?
    public var labelRegex: String?
    public var annotationRegex: String?
    public var debug: Bool
    public var aws: AWSSourceFields
    public var azure: AzureSourceFields
    public var google: GoogleSourceFields
    /// Only signed versions are seen, fetched or run (nil: no verification).
    public var verify: VerifySettings?

    public init(repository: String) {
        self.repository = repository
        versions = CheckSource()
        insecure = false
        caCerts = []
        debug = false
        aws = AWSSourceFields()
        azure = AzureSourceFields()
        google = GoogleSourceFields()
    }

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        repository = try reader.requiredString("repository")
        versions = CheckSource(
            tag: try reader.stringOrNumber("tag").flatMap { $0.isEmpty ? nil : $0 },
            tagRegex: try reader.string("tag_regex").flatMap { $0.isEmpty ? nil : $0 },
            createdAtSort: try reader.bool("created_at_sort"),
            variant: try reader.string("variant").flatMap { $0.isEmpty ? nil : $0 },
            semverConstraint: try reader.string("semver_constraint").flatMap { $0.isEmpty ? nil : $0 },
            preReleases: try reader.bool("pre_releases"),
            preReleasePrefixes: try reader.stringArray("pre_release_prefixes"))
        username = try reader.string("username").flatMap { $0.isEmpty ? nil : $0 }
        password = try reader.string("password").flatMap { $0.isEmpty ? nil : $0 }
        insecure = try reader.bool("insecure")
        caCerts = try reader.stringArray("ca_certs")
        registryMirror = try reader.object("registry_mirror", as: RegistryMirrorSettings.self)
        platform = try reader.object("platform", as: PlatformSelection.self)
        labelRegex = try reader.string("label_regex").flatMap { $0.isEmpty ? nil : $0 }
        annotationRegex = try reader.string("annotation_regex").flatMap { $0.isEmpty ? nil : $0 }
        debug = try reader.bool("debug")
        aws = try AWSSourceFields(reading: &reader)
        azure = try AzureSourceFields(reading: &reader)
        google = try GoogleSourceFields(reading: &reader)
        try google.refuseStaticCredentials(username: username, password: password)
        verify = try reader.object("verify", as: VerifySettings.self)
        try CloudFields.refuseInSource(&reader)
        if versions.tag != nil, versions.tagRegex != nil {
            throw .invalidValue(field: "source.tag_regex", reason: "cannot be combined with 'tag'")
        }
    }
}
