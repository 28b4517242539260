import ArgumentParser
import FoundationEssentials
import Signatures

struct VerifySubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an image's cosign signatures under a key or a keyless identity.",
        discussion: """
        Exit 0 and the verified signatures as JSON; exit 1 and the reason when none verifies. \
        A signature on the index or on the platform's manifest counts.

        Examples:
          registry-image verify ghcr.io/org/app:1.2.3 --key cosign.pub
          registry-image verify ghcr.io/org/app:1.2.3 \\
            --certificate-identity-regexp '^https://github\\.com/org/app/' \\
            --certificate-oidc-issuer-regexp '^https://token\\.actions\\.githubusercontent\\.com$'
        """
    )

    @Argument(help: "Image reference: [docker://][host[:port]/]repository[:tag][@sha256:digest].")
    var reference: String

    @Option(name: .customLong("key"), help: "A PEM public key file (repeatable).")
    var keys: [String] = []

    @Option(name: .customLong("certificate-identity-regexp"), help: "Keyless: the certificate subject (SAN), whole match.")
    var identity: String?

    @Option(name: .customLong("certificate-oidc-issuer-regexp"), help: "Keyless: the OIDC issuer, whole match.")
    var issuer: String?

    @Option(name: .customLong("trusted-root"), help: "Keyless: a sigstore trusted_root.json (default: public-good).")
    var trustedRoot: String?

    @Option(name: .customLong("signature-repository"), help: "Where signatures live (as COSIGN_REPOSITORY).")
    var signatureRepository: String?

    @Flag(name: .customLong("require-tlog"), help: "Keyed: also require a verified transparency-log entry.")
    var requireTransparencyLog = false

    @Option(help: "Platform whose manifest's signature also counts, as os/architecture[/variant].")
    var platform: String?

    @OptionGroup var credentials: CredentialOptions

    func run() throws {
        try Terminal.reportingFailure {
            guard (identity == nil) == (issuer == nil) else {
                throw ValidationError("--certificate-identity-regexp and --certificate-oidc-issuer-regexp go together")
            }
            guard !keys.isEmpty || identity != nil else {
                throw ValidationError("give --key or --certificate-identity-regexp with --certificate-oidc-issuer-regexp")
            }
            let pems = try keys.map { try String(contentsOfFile: $0, encoding: .utf8) }
            let identities = identity.map { [VerificationPolicy.Identity(issuer: issuer ?? "", subject: $0)] } ?? []
            let root = try trustedRoot.map { try String(contentsOfFile: $0, encoding: .utf8) }
            let policy = try VerificationPolicy(
                publicKeysPEM: pems, identities: identities, trustedRootJSON: root, repository: signatureRepository,
                requireTransparencyLog: requireTransparencyLog)
            Terminal.writeStandardOutput(try ImageTool.verify(
                reference: reference, policy: policy, platform: platform, settings: try credentials.settings()))
        }
    }
}

struct SignSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an image's digest with a private key, as `cosign sign --key` does.",
        discussion: """
        The key: PKCS#8 PEM (optionally encrypted) or cosign's encrypted key; its password comes from \
        $COSIGN_PASSWORD. Prints the digest and where the signature went.

        Example (with COSIGN_PASSWORD set for an encrypted key):
          registry-image sign registry.example.com/team/app:1.2.3 --key cosign.key
        """
    )

    @Argument(help: "Image reference: [docker://][host[:port]/]repository[:tag][@sha256:digest].")
    var reference: String

    @Option(name: .customLong("key"), help: "A PEM private key file.")
    var key: String

    @Option(help: "tag (cosign's sha256-<hex>.sig tag, the default) or bundle (an OCI 1.1 referrer).")
    var format: String = "tag"

    @OptionGroup var credentials: CredentialOptions

    func run() throws {
        try Terminal.reportingFailure {
            guard let format = ImageSigner.Format(rawValue: format) else {
                throw ValidationError("--format must be tag or bundle")
            }
            let pem = try String(contentsOfFile: key, encoding: .utf8)
            let password = ProcessInfo.processInfo.environment["COSIGN_PASSWORD"]
            let signer = ImageSigner(key: try SigningKey(pem: pem, password: password), format: format)
            print(try ImageTool.sign(reference: reference, signer: signer, settings: try credentials.settings()))
        }
    }
}
