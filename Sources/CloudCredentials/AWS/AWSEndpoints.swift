import FoundationEssentials

/// Where AWS services are reached: the variables every AWS SDK honours
/// (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`,
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT`), else the real regional endpoints.
struct AWSEndpoints: Sendable {
    let environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    func ecr(region: String) throws(CloudAuthError) -> URL {
        try service("ECR", fallback: "https://api.ecr.\(region).\(Self.dnsSuffix(region))")
    }

    /// ECR Public's API, which lives in us-east-1 only.
    func ecrPublic() throws(CloudAuthError) -> URL {
        try service("ECR_PUBLIC", fallback: "https://api.ecr-public.\(ECRPublicLogin.apiRegion).amazonaws.com")
    }

    func sts(region: String) throws(CloudAuthError) -> URL {
        try service("STS", fallback: "https://sts.\(region).\(Self.dnsSuffix(region))")
    }

    /// The EC2 instance metadata service (IMDS) base URL: the endpoint
    /// variable, else IMDS's IPv6 address with
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`, else its IPv4 one.
    func instanceMetadata() throws(CloudAuthError) -> URL {
        let ipv6 = value(of: "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")?.lowercased() == "ipv6"
        return try url(value(of: "AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? (ipv6 ? "http://[fd00:ec2::254]" : "http://169.254.169.254"),
                       variable: "AWS_EC2_METADATA_SERVICE_ENDPOINT")
    }

    private func service(_ id: String, fallback: String) throws(CloudAuthError) -> URL {
        if let specific = value(of: "AWS_ENDPOINT_URL_\(id)") { return try url(specific, variable: "AWS_ENDPOINT_URL_\(id)") }
        if let global = value(of: "AWS_ENDPOINT_URL") { return try url(global, variable: "AWS_ENDPOINT_URL") }
        return try url(fallback, variable: "aws_region")
    }

    private func value(of name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    private func url(_ text: String, variable: String) throws(CloudAuthError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil else {
            throw .configuration("\(variable) '\(text)' is not an http(s) URL")
        }
        return url
    }

    /// China regions live under amazonaws.com.cn, as the SDKs' partitions say.
    static func dnsSuffix(_ region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }
}
