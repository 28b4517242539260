
/// One comparison, e.g. `>= 1.2`, `~1.2.x`, `!=4.x`, `^0.2.3`.
///
/// Missing or wildcard parts make a term "dirty": `1.2` and `1.2.x` mean the
/// whole 1.2 line (patch dirty), `1` and `1.x` the whole 1 line (minor dirty),
/// `*`/`x` anything. The bound is the version with those parts set to zero.
struct ConstraintTerm: Sendable {
    enum Operator: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case greater = ">"
        case less = "<"
        case greaterOrEqual = ">="
        case lessOrEqual = "<="
        case tilde = "~"
        case caret = "^"
    }

    let op: Operator
    let bound: SemanticVersion
    let dirty: Bool
    let minorDirty: Bool
    let patchDirty: Bool

    func isSatisfied(by v: SemanticVersion) -> Bool {
        switch op {
        case .equal: return dirty ? tilde(v) : v == bound
        case .notEqual: return notEqual(v)
        case .greater: return greater(v)
        case .less: return v < bound
        case .greaterOrEqual: return v >= bound
        case .lessOrEqual: return lessOrEqual(v)
        case .tilde: return tilde(v)
        case .caret: return caret(v)
        }
    }

    private func notEqual(_ v: SemanticVersion) -> Bool {
        if dirty {
            if bound.major != v.major { return true }
            if minorDirty { return false }
            if bound.minor != v.minor { return true }
            if patchDirty {
                return SemanticVersion.comparePreReleases(v.preRelease, bound.preRelease) != 0
            }
            if bound.patch != v.patch { return true }
        }
        return v != bound
    }

    private func greater(_ v: SemanticVersion) -> Bool {
        guard dirty else { return v > bound }
        if v.major != bound.major { return v.major > bound.major }
        // `>1` needs 2.0.0 or above; `>1.2` needs 1.3.0 or above.
        if minorDirty { return false }
        if patchDirty { return v.minor > bound.minor }
        return v > bound
    }

    private func lessOrEqual(_ v: SemanticVersion) -> Bool {
        guard dirty else { return v <= bound }
        if v.major > bound.major { return false }
        if v.major == bound.major && v.minor > bound.minor && !minorDirty { return false }
        return true
    }

    /// `~1.2.3` → >=1.2.3 <1.3.0; `~1.2` → >=1.2.0 <1.3.0; `~1` → >=1.0.0 <2.0.0; `~*` → any.
    private func tilde(_ v: SemanticVersion) -> Bool {
        if v < bound { return false }
        if bound.major == 0 && bound.minor == 0 && bound.patch == 0 && !minorDirty && !patchDirty { return true }
        if v.major != bound.major { return false }
        if v.minor != bound.minor && !minorDirty { return false }
        return true
    }

    /// `^1.2.3` → >=1.2.3 <2.0.0; `^0.2.3` → >=0.2.3 <0.3.0; `^0.0.3` → =0.0.3;
    /// `^0.0` → <0.1.0; `^0` → <1.0.0; `^*` → any.
    private func caret(_ v: SemanticVersion) -> Bool {
        if v < bound { return false }
        if bound.major > 0 || minorDirty { return v.major == bound.major }
        if v.major > 0 { return false }
        if bound.minor > 0 || patchDirty { return v.minor == bound.minor }
        if v.minor > 0 { return false }
        return v.patch == bound.patch
    }
}
