import FoundationEssentials
import ImageIO
import Logging
import OCIModel
import RegistryClient
import Signatures

extension ImageTool {
    /// `verify`: the signatures of a registry image that the policy accepts,
    /// as JSON; throws `SignatureError.untrusted` (exit 1, the reason) when none does.
    public static func verify(
        reference text: String, policy: VerificationPolicy, platform: String?, settings: ToolSettings
    ) throws -> Data {
        let logger = StandardErrorLogHandler.logger(debug: settings.debug)
        let (client, subject) = try registryImage(text, settings: settings, logger: logger)
        var signatureClient = client
        if let repository = policy.repository {
            let reference = try ImageReference(parsing: repository)
            signatureClient = try registryClient(reference, settings: settings, logger: logger)
        }
        let wanted = try platform.map(parsePlatform)
        let trust = try ImageVerifier(policy: policy, signatureClient: signatureClient).verify(subject.digest) {
            guard MediaType.isIndex(subject.mediaType) else { return nil }
            return try ImageResolver.resolve(RegistryImageSource(client: client, rootDigest: subject.digest), platform: wanted)
                .manifestDescriptor.digest
        }
        struct Output: Encodable {
            let digest: String
            let verified: [VerifiedSignature]
        }
        return try JSONOutput.encode(Output(digest: trust.digest.description, verified: trust.signatures))
    }

    /// `sign`: signs the image's digest (an index as a whole) as cosign does;
    /// returns the digest and where the signature went.
    public static func sign(reference text: String, signer: ImageSigner, settings: ToolSettings) throws -> String {
        let logger = StandardErrorLogHandler.logger(debug: settings.debug)
        let (client, subject) = try registryImage(text, settings: settings, logger: logger)
        let place = try signer.sign(subject, dockerReference: "\(client.registry)/\(client.repository)", in: client)
        return "\(subject.digest) \(place)"
    }

    /// A registry image's client and root descriptor (by digest, or its tag's, `latest` by default).
    private static func registryImage(_ text: String, settings: ToolSettings, logger: Logger) throws -> (RegistryClient, Descriptor) {
        let name = text.hasPrefix("docker://") ? String(text.dropFirst("docker://".count)) : text
        let reference = try ImageReference(parsing: name)
        let client = try registryClient(reference, settings: settings, logger: logger)
        return (client, try headRoot(of: reference, with: client))
    }
}
