/// The description that ends every training conversation: the request "Describe the image."
/// answered by each object with its place in a 3 × 3 grid, in reading order —
/// "A red circle at the top left, a blue square in the centre and a green star at the bottom." —
/// as in the detailed descriptions of LLaVA's instruction data (see `TrainingSplit` for why).
public enum SceneDescription {
    /// The follow-up question.
    public static let prompt = "Describe the image."

    /// The description of `scene`; objects are ordered by row of the grid, then from left to right.
    public static func text(of scene: Scene) -> String {
        let third = Double(scene.side) / 3
        func cell(_ coordinate: Double) -> Int { min(2, Int(coordinate / third)) }
        let ordered = scene.objects.sorted {
            (cell($0.centerY), $0.centerX) < (cell($1.centerY), $1.centerX)
        }
        let phrases = ordered.map { object in
            "\(object.category.nameWithArticle) \(place(row: cell(object.centerY), column: cell(object.centerX)))"
        }
        guard let last = phrases.last else { return "An empty image." }
        let listed = phrases.count == 1 ? last : phrases.dropLast().joined(separator: ", ") + " and " + last
        return PromptText.capitalized(listed) + "."
    }

    /// "at the top left", "on the left", "in the centre", … for a cell of the 3 × 3 grid.
    static func place(row: Int, column: Int) -> String {
        let vertical = ["top", "", "bottom"][row], horizontal = ["left", "", "right"][column]
        switch (vertical.isEmpty, horizontal.isEmpty) {
        case (true, true): return "in the centre"
        case (true, false): return "on the \(horizontal)"
        case (false, true): return "at the \(vertical)"
        case (false, false): return "at the \(vertical) \(horizontal)"
        }
    }
}
