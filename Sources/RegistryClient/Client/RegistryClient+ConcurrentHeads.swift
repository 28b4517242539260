import FoundationEssentials
import OCIModel

extension RegistryClient {
    /// `headManifest` for many references at once, answers in input order.
    public func headManifests(_ references: [String], concurrency: Int = 8) throws -> [Descriptor?] {
        try concurrentMap(references, concurrency: concurrency) { [self] in try headManifest($0) }
    }

    /// `transform` applied to every element on up to `concurrency` plain
    /// threads (`ConcurrentWork`), answers in input order; the first error
    /// wins and stops further work. The registry is probed and the pull token
    /// fetched first, once, not once per thread. Each thread's requests borrow
    /// pooled libcurl handles, so connections are reused.
    public func concurrentMap<Element: Sendable, Result: Sendable>(
        _ elements: [Element], concurrency: Int = 8, _ transform: @escaping @Sendable (Element) throws -> Result
    ) throws -> [Result] {
        guard !elements.isEmpty else { return [] }
        try prepare()
        return try ConcurrentWork.map(elements, width: concurrency) { element, _ in try transform(element) }
    }
}
