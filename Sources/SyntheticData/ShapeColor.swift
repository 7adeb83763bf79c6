import Vision

/// The colours objects are painted in: saturated hues that stay apart from each other and from
/// every background (see `Background`).
public enum ShapeColor: String, CaseIterable, Sendable {
    case red, green, blue, yellow, purple, orange

    /// The name used in questions and answers, e.g. "red".
    public var name: String { rawValue }

    /// The colour's 8-bit sRGB value.
    public var rgb: RGBColor {
        switch self {
        case .red: return RGBColor(red: 220, green: 30, blue: 35)
        case .green: return RGBColor(red: 30, green: 165, blue: 60)
        case .blue: return RGBColor(red: 35, green: 85, blue: 225)
        case .yellow: return RGBColor(red: 245, green: 215, blue: 20)
        case .purple: return RGBColor(red: 145, green: 50, blue: 190)
        case .orange: return RGBColor(red: 250, green: 130, blue: 15)
        }
    }
}
