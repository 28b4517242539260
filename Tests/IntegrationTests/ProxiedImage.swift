import TestSupport

/// An image (tagged v1) pushed to a registry of its own, with a fault proxy
/// in front: what the fault suites fetch through and break. The layout is
/// built once per suite and pushed to each test's fresh registry.
class ProxiedImage {
    let registry: TestRegistry
    let proxy: FaultProxy
    let layout: FixtureLayout
    let digest: String
    /// `<proxy>/<name>`: the repository requests name.
    let repository: String

    init(_ layout: FixtureLayout, name: String, registry options: TestRegistryOptions = .plain) throws {
        registry = try TestRegistry(options)
        self.layout = layout
        digest = try pushLayout(layout.url, layoutTag: "v1", to: registry, repository: name, tag: "v1")
        proxy = try FaultProxy(upstream: registry)
        repository = "\(proxy.url)/\(name)"
    }

    deinit {
        proxy.stop()
        registry.stop()
    }
}
