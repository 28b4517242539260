import CCrypto
import FoundationEssentials

/// An X.509 certificate: the one Swift owner of an OpenSSL `X509`, and what
/// the keyless checks read from it (SANs, Fulcio's OIDC issuer, usage).
final class Certificate {
    let x509: OpaquePointer

    init(der: Data) throws(SignatureError) {
        guard let parsed = DERDecoding.decode(der, with: { d2i_X509(nil, $0, $1) }) else {
            throw .malformed(what: "certificate", reason: "not a DER X.509 certificate")
        }
        x509 = parsed
    }

    /// The first "CERTIFICATE" block of a PEM text.
    init(pem: Data) throws(SignatureError) {
        let parsed: OpaquePointer? = pem.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_X509(bio, nil, nil, nil)
        }
        guard let parsed else {
            ERR_clear_error()
            throw .malformed(what: "certificate", reason: "not a PEM certificate")
        }
        x509 = parsed
    }

    /// Takes over one reference to `x509`.
    init(owning x509: OpaquePointer) { self.x509 = x509 }

    deinit { X509_free(x509) }

    var der: Data {
        var bytes: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(x509, &bytes)
        guard length > 0, let bytes else { return Data() }
        defer { CRYPTO_free(bytes, #fileID, #line) }
        return Data(bytes: bytes, count: Int(length))
    }

    /// The email addresses and URIs of the subject alternative name.
    var subjectAlternativeNames: [String] {
        guard let names = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) else { return [] }
        let stack = OpaquePointer(names)
        defer { GENERAL_NAMES_free(stack) }
        var values: [String] = []
        for index in 0..<max(0, OPENSSL_sk_num(stack)) {
            guard let name = OPENSSL_sk_value(stack, index)?.assumingMemoryBound(to: GENERAL_NAME.self) else { continue }
            switch name.pointee.type {
            case GEN_EMAIL: if let text = Self.text(name.pointee.d.rfc822Name) { values.append(text) }
            case GEN_URI: if let text = Self.text(name.pointee.d.uniformResourceIdentifier) { values.append(text) }
            default: break
            }
        }
        return values
    }

    /// Fulcio's OIDC issuer: extension 1.3.6.1.4.1.57264.1.8 (a DER
    /// UTF8String) or the legacy 1.3.6.1.4.1.57264.1.1 (the raw string).
    var oidcIssuer: String? {
        if let value = extensionValue(oid: "1.3.6.1.4.1.57264.1.8") {
            guard let string = DERDecoding.decode(value, with: { d2i_ASN1_UTF8STRING(nil, $0, $1) }) else { return nil }
            defer { ASN1_UTF8STRING_free(string) }
            return Self.text(string)
        }
        return extensionValue(oid: "1.3.6.1.4.1.57264.1.1").map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether the extended key usage names code signing (as Fulcio's leaves do).
    var isForCodeSigning: Bool {
        X509_get_extension_flags(x509) & UInt32(EXFLAG_XKUSAGE) != 0
            && X509_get_extended_key_usage(x509) & UInt32(XKU_CODE_SIGN) != 0
    }

    /// Whether the key usage allows digital signatures.
    var isForDigitalSignatures: Bool {
        X509_get_extension_flags(x509) & UInt32(EXFLAG_KUSAGE) != 0
            && X509_get_key_usage(x509) & UInt32(KU_DIGITAL_SIGNATURE) != 0
    }

    private func extensionValue(oid: String) -> Data? {
        guard let object = OBJ_txt2obj(oid, 1) else { return nil }
        defer { ASN1_OBJECT_free(object) }
        let index = X509_get_ext_by_OBJ(x509, object, -1)
        guard index >= 0, let found = X509_get_ext(x509, index), let data = X509_EXTENSION_get_data(found) else {
            return nil
        }
        return Self.bytes(data)
    }

    private static func bytes(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> Data? {
        guard let string, let start = ASN1_STRING_get0_data(string) else { return nil }
        return Data(bytes: start, count: Int(ASN1_STRING_length(string)))
    }

    private static func text(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> String? {
        bytes(string).map { String(decoding: $0, as: UTF8.self) }
    }
}
