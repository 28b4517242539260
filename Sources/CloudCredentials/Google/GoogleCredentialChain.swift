import FoundationEssentials
import Logging

/// Where a Google access token comes from, in the order of Google's
/// application default credentials: `source.google_credentials` (a key
/// file's text), the file `GOOGLE_APPLICATION_CREDENTIALS` names, gcloud's
/// well-known file (`$CLOUDSDK_CONFIG` or `~/.config/gcloud`,
/// `application_default_credentials.json`), then the metadata server. A
/// source that is configured but fails is the answer (no fall-through).
struct GoogleCredentialChain {
    var inlineCredentials: String?
    var environment: [String: String]
    var logger: Logger

    func token() throws(CloudAuthError) -> GoogleAccessToken {
        if let inline = inlineCredentials {
            let file = try GoogleCredentialsFile.parse(inline, origin: "google_credentials")
            return try token(from: file, origin: "google_credentials")
        }
        if let path = value("GOOGLE_APPLICATION_CREDENTIALS") {
            let file = try GoogleCredentialsFile.read(path: path, origin: "GOOGLE_APPLICATION_CREDENTIALS")
            return try token(from: file, origin: path)
        }
        if let path = wellKnownFile(), FileManager.default.fileExists(atPath: path) {
            let file = try GoogleCredentialsFile.read(path: path, origin: "gcloud's application default credentials")
            return try token(from: file, origin: path)
        }
        let metadata = MetadataServerToken(environment: environment, logger: logger)
        do {
            logger.debug("using the Google metadata server at \(metadata.host)")
            return try metadata.fetch()
        } catch {
            throw .configuration("no Google credentials found (tried: google_credentials: not set; "
                + "GOOGLE_APPLICATION_CREDENTIALS: not set; gcloud's application default credentials: none; \(error))")
        }
    }

    private func token(from file: GoogleCredentialsFile, origin: String) throws(CloudAuthError) -> GoogleAccessToken {
        let http = try CloudHTTPClient(logger: logger)
        switch file.type {
        case "service_account":
            logger.debug("using Google service account \(file.client_email ?? "?") from \(origin)")
            return try ServiceAccountToken(file: file, http: http).fetch()
        case "external_account":
            logger.debug("using Google workload identity federation from \(origin)")
            return try ExternalAccountToken(file: file, http: http).fetch()
        case "authorized_user":
            logger.debug("using Google authorized user credentials from \(origin)")
            return try AuthorizedUserToken(file: file, http: http).fetch()
        case let other:
            throw .configuration("Google credentials of type '\(other ?? "(none)")' from \(origin) are not supported "
                + "(service_account, external_account, authorized_user)")
        }
    }

    private func wellKnownFile() -> String? {
        if let directory = value("CLOUDSDK_CONFIG") { return "\(directory)/application_default_credentials.json" }
        guard let home = value("HOME") else { return nil }
        return "\(home)/.config/gcloud/application_default_credentials.json"
    }

    private func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
}
