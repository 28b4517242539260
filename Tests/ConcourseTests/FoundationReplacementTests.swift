import Concourse
import Foundation
import OCIModel
import RegistryClient
import Testing

/// The hand-written stand-ins for Foundation APIs the sources no longer use,
/// each checked against the Foundation API it replaces (the reference here).
@Suite struct FoundationReplacementTests {
    @Test(arguments: [0.0, 0.05, 0.049, 1.25, 2.5, 999.95, 1234.5678, 0.0004, 12.3456789])
    func fixedDecimalsMatchStringFormat(_ value: Double) {
        for decimals in [1, 3] {
            #expect(TextFormatting.fixed(value, decimals: decimals) == String(format: "%.\(decimals)f", value)
                || abs((Double(TextFormatting.fixed(value, decimals: decimals)) ?? .nan) - value) < pow(10, -Double(decimals)) / 2 + 1e-12)
        }
        #expect(TextFormatting.padded(7, width: 3, pad: " ") == String(format: "%3d", 7))
        #expect(TextFormatting.padded(2024, width: 4) == String(format: "%04d", 2024))
        #expect(TextFormatting.hexByte(0xA7) == String(format: "%02X", 0xA7))
    }

    @Test func httpDatesMatchDateFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        for seconds in stride(from: -2_000_000_000.0, to: 4_000_000_000.0, by: 86_399 * 97.3) {
            let text = formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
            #expect(RetryPolicy.httpDate(text) == formatter.date(from: text), "\(text)")
        }
        #expect(RetryPolicy.httpDate("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(RetryPolicy.httpDate("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(RetryPolicy.httpDate("Sun, 06 Foo 1994 08:49:37 GMT") == nil)
    }

    @Test func jsonTextMatchesJSONSerialization() throws {
        let documents = [
            #"{"auths":{"r.example.com":{"auth":"dTpw"},"b/c":{}},"credsStore":"x","n":[1,2.5,true,null,"a\"b\\c\n\t\u0001é"]}"#,
            #"[]"#, #"{}"#, #"{"a":[[],{}],"b":{"c":[{"d":"/"}]}}"#,
            // No empty container: the texts themselves must agree byte for byte.
            #"{"auths":{"r.example.com":{"auth":"dTpw"}},"b":{"c":[{"d":"/x"}]},"n":[1,2.5,true,null,"a\"b\\c\n\t\u0001é"]}"#,
        ]
        for text in documents {
            let object = try #require(JSONAny.parse(Array(text.utf8)))
            let reference = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            for (ours, theirs) in [
                (JSONAny.serialize(object, sortedKeys: true), try JSONSerialization.data(withJSONObject: reference, options: [.sortedKeys])),
                (JSONAny.serialize(object, pretty: true, sortedKeys: true, escapingSlashes: false),
                 try JSONSerialization.data(withJSONObject: reference, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])),
            ] {
                // Parsed back, both texts are the same document (the two
                // writers differ only in how empty containers are spaced).
                let ourBytes = try #require(ours)
                let back = try JSONSerialization.jsonObject(with: Data(ourBytes), options: [.fragmentsAllowed])
                #expect(NSDictionary(dictionary: ["v": back]) == NSDictionary(dictionary: ["v": reference]), "\(text)")
                if !text.contains("[]") && !text.contains("{}") {
                    #expect(String(decoding: ourBytes, as: UTF8.self) == String(decoding: theirs, as: UTF8.self))
                }
            }
        }
        #expect(JSONAny.parse(Array("{".utf8)) == nil)
    }

    @Test func percentCodingMatchesFoundation() {
        for text in ["a b/c?d=e&f", "ünï cödé", "%41%zz", "100%", "plain-._~"] {
            #expect(text.percentEncoded(keeping: URLQueryCharacters.allowed)
                == text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed))
            #expect(text.percentDecoded == text.removingPercentEncoding, "\(text)")
        }
    }

    @Test func trimmingMatchesFoundation() {
        for text in ["  a b \t", "\n x \r\n", "   ", "", "a"] {
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
            #expect(text.trimmingWhitespace(newlines: true) == text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test func pathsJoinAsNSString() {
        for (directory, component) in [("/a", "b"), ("/a/", "b/c"), ("a", "/b"), ("/", "x"), ("", "y"), ("/a", "")] {
            // NSString keeps a doubled slash when the component starts with one ("a//b"): the same path.
            let reference = (directory as NSString).appendingPathComponent(component).replacingOccurrences(of: "//", with: "/")
            #expect(TextFile.path(component, under: directory) == reference, "\(directory) + \(component)")
        }
    }
}
