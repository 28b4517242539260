import FoundationEssentials
import OCIModel

extension RegistryClient {
    private struct TagPage: Decodable {
        var tags: [String]?
    }

    /// Every tag, in the registry's order, following `Link: <…>; rel="next"`
    /// pagination to the end. `pageSize` asks for pages of that many (`?n=`).
    public func listTags(pageSize: Int? = nil) throws -> [String] {
        var target = RegistryRequest.Target.path(
            "/v2/\(repository)/tags/list" + (pageSize.map { "?n=\($0)" } ?? ""))
        var tags: [String] = []
        var visited = Set<String>()
        while true {
            let request = RegistryRequest(method: .get, target: target,
                                          headers: [(name: "Accept", value: MediaType.json)], scope: pullScope)
            let response = try withRetries { _ in
                let response = try exchange(request) { _ in .collect(limit: 64 << 20) }
                guard response.status == 200 else {
                    throw failure(for: response, what: "repository \(registry)/\(repository)")
                }
                return response
            }
            guard let page = try? JSONDecoder().decode(TagPage.self, from: response.body) else {
                throw RegistryError.invalidResponse(url: response.url.redactedForLog, reason: "tag list is not JSON")
            }
            tags += page.tags ?? []
            guard let next = LinkHeader.next(in: response.headers.values("Link"), relativeTo: response.url) else {
                return tags
            }
            guard visited.insert(next.absoluteString).inserted else {
                throw RegistryError.invalidResponse(url: next.redactedForLog, reason: "tag pagination loops")
            }
            target = .url(next)
        }
    }
}
