import CCurl

/// Owns a `curl_slist` of request header lines; freed when the owner goes.
/// libcurl reads the list during `curl_easy_perform`, so it must outlive it.
final class CurlHeaderList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) {
        for line in lines {
            // curl_slist_append copies the string; on allocation failure it
            // returns NULL and leaves the list untouched.
            if let appended = curl_slist_append(pointer, line) { pointer = appended }
        }
    }

    deinit { curl_slist_free_all(pointer) }
}
