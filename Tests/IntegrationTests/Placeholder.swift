import Testing
@testable import RegistryImage
