// TEMPORARY: stand-in for the scenario branch; deleted when it merges.
public struct ScenarioError: Error, CustomStringConvertible { public var description: String }
public enum ScenarioLoader {
    public static func load(path: String, overrides: [Override] = []) throws(ScenarioError) -> Scenario {
        throw ScenarioError(description: "not yet")
    }
}
extension Override {
    public static func parse(_ text: String) throws(ScenarioError) -> Override {
        throw ScenarioError(description: "not yet")
    }
}
