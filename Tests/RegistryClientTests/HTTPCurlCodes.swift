import CCurl

/// Builds a `CURLcode` from its documented number for table tests.
func CURLcodeFor(_ value: UInt32) -> CURLcode { CURLcode(rawValue: value) }
