import FoundationEssentials
import ImageIO
import Logging
import OCIModel
import RegistryClient
import Signatures

/// `source.verify` applied to this resource's repository: `check` keeps
/// only versions it trusts and `get` refuses the others before writing
/// anything. Signatures are read from the origin (never a mirror), in
/// `verify.repository` when set, with the source's credentials.
struct SignatureGate: Sendable {
    let verifier: ImageVerifier
    /// The image's repository at its origin, to choose a platform's manifest from an index.
    let imageClient: RegistryClient
    let platform: Platform

    /// nil when the source asks for no verification.
    static func make(for source: SourceConfiguration, platform: Platform, logger: Logger) throws -> SignatureGate? {
        guard let settings = source.verify else { return nil }
        let policy = try settings.policy()
        guard let origin = try RepositoryEndpoint.endpoints(for: source, logger: logger).last else { return nil }
        var signatureClient = origin.client
        if let repository = policy.repository {
            let reference: ImageReference
            do {
                reference = try ImageReference(parsing: repository)
            } catch {
                throw RequestError.invalidValue(field: "source.verify.repository", reason: "\(error)")
            }
            let options = RegistryOptionsFactory.options(username: source.username, password: source.password, source: source)
            signatureClient = RegistryClient(reference: reference, options: options, logger: logger)
        }
        return SignatureGate(verifier: ImageVerifier(policy: policy, signatureClient: signatureClient),
                             imageClient: origin.client, platform: platform)
    }

    /// Trusted when the digest, or the platform's manifest chosen from it
    /// (an index), carries a signature the policy accepts; else throws
    /// `SignatureError.untrusted` naming the digest and why.
    func verify(_ digest: Digest) throws -> ImageTrust {
        try verifier.verify(digest) {
            // One source: the resolver reuses the root it fetched (one GET, not two).
            let source = RegistryImageSource(client: imageClient, rootDigest: digest)
            guard MediaType.isIndex(try source.rootDescriptor().mediaType) else { return nil }
            return try ImageResolver.resolve(source, platform: platform).manifestDescriptor.digest
        }
    }
}
