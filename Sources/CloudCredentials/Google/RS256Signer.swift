import CCrypto

/// RSASSA-PKCS1-v1_5 with SHA-256 ("RS256") over OpenSSL's EVP_DigestSign,
/// with the PEM private key of a service-account key file (PKCS #8 or
/// PKCS #1). Errors never quote the key.
enum RS256Signer {
    static func sign(_ message: [UInt8], privateKeyPEM: String) throws(CloudAuthError) -> [UInt8] {
        defer { ERR_clear_error() }
        let pem = Array(privateKeyPEM.utf8)
        let key: OpaquePointer? = pem.withUnsafeBytes { bytes in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else { throw .configuration("the service account's private_key is not a PEM private key") }
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else {
            throw .configuration("the service account's private_key is not an RSA key")
        }
        guard let context = EVP_MD_CTX_new() else { throw .configuration("OpenSSL could not allocate a signing context") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            throw .configuration("OpenSSL refused the service account's key for RS256")
        }
        var length = 0
        guard message.withUnsafeBufferPointer({ EVP_DigestSign(context, nil, &length, $0.baseAddress, $0.count) }) == 1,
              length > 0 else {
            throw .configuration("OpenSSL could not size the RS256 signature")
        }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = signature.withUnsafeMutableBufferPointer { out in
            message.withUnsafeBufferPointer { EVP_DigestSign(context, out.baseAddress, &length, $0.baseAddress, $0.count) }
        }
        guard signed == 1 else { throw .configuration("OpenSSL could not sign the RS256 assertion") }
        return Array(signature.prefix(length))
    }
}
