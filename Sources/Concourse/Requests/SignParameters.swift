import Signatures

/// `params.sign` of a `put`: sign the pushed digest with `private_key`
/// (PKCS#8 PEM, optionally encrypted, or cosign's encrypted key; `password`
/// decrypts it) in cosign's tag scheme (`format: tag`, the default) or as
/// an OCI 1.1 referrer holding a sigstore bundle (`format: bundle`).
public struct SignParameters: Equatable, Sendable, JSONObjectReadable {
    public var privateKey: String
    public var password: String?
    public var format: ImageSigner.Format = .tag

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        privateKey = try reader.requiredString("private_key")
        password = try reader.string("password").flatMap { $0.isEmpty ? nil : $0 }
        if let raw = try reader.string("format"), !raw.isEmpty {
            guard let format = ImageSigner.Format(rawValue: raw) else {
                let valid = ImageSigner.Format.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidValue(field: "\(reader.path).format", reason: "unknown format '\(raw)' (valid: \(valid))")
            }
            self.format = format
        }
    }

    /// The signer; a key that cannot be read (or decrypted) names the field, never the key.
    public func signer() throws(RequestError) -> ImageSigner {
        do {
            return ImageSigner(key: try SigningKey(pem: privateKey, password: password), format: format)
        } catch {
            throw .invalidValue(field: "params.sign.private_key", reason: error.description)
        }
    }
}
