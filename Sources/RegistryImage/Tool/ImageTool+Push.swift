extension ImageTool {
    public static func push(source: String, reference: String, extraTags: [String], settings: ToolSettings) throws -> String {
        throw ToolError.invalidArgument("push is being implemented")
    }
}
