import FoundationEssentials
import RegistryClient

/// One call of an AWS JSON 1.1 API (ECR, ECR Public): an empty-object POST
/// naming the operation in `X-Amz-Target`, SigV4-signed; a refusal is one
/// line with AWS's error summary.
enum AWSJSONRequest {
    static func send(
        target: String, to endpoint: URL, region: String, service: String, credentials: AWSCredentials,
        http: CloudHTTPClient, what: String
    ) throws(CloudAuthError) -> HTTPResponse {
        let body = Array("{}".utf8)
        let url = endpoint.path.isEmpty ? endpoint.appendingPathComponent("") : endpoint
        let signer = SigV4Signer(credentials: credentials, region: region, service: service)
        let headers = signer.signedHeaders(
            method: "POST", url: url,
            headers: [(name: "Content-Type", value: "application/x-amz-json-1.1"), (name: "X-Amz-Target", value: target)],
            body: body)
        let response = try http.send(HTTPRequest(method: .post, url: url, headers: headers, body: Data(body)), what: what)
        guard response.isSuccess else {
            throw .refused(what: what, status: response.status,
                           detail: AWSErrorBody.summary(String(decoding: response.body, as: UTF8.self)))
        }
        return response
    }
}
