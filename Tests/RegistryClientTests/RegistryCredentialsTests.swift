import RegistryClient
import Testing

@Suite struct RegistryCredentialsTests {
    @Test func credentialsNeverPrintThePassword() {
        let credentials = RegistryCredentials(username: "user", password: "s3cr3t-pw")
        #expect(!"\(credentials)".contains("s3cr3t-pw"))
        #expect(!String(reflecting: credentials).contains("s3cr3t-pw"))
        #expect("\(credentials)".contains("user"))
    }
}
