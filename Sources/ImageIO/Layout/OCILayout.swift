import FastExtract
import OCIModel
import RegistryClient

/// File names of the OCI image layout (image-spec "OCI Image Layout").
enum OCILayout {
    static let layoutFile = "oci-layout"
    static let indexFile = "index.json"
    static let layoutVersionJSON = #"{"imageLayoutVersion":"1.0.0"}"#
}
