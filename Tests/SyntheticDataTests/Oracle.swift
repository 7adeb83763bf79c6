@testable import SyntheticData

/// Answers a query from a scene's object list, written independently of the generator (which
/// knows its answers from how it built the scene), so that the two can be compared.
enum Oracle {
    static func answer(_ query: Query, in scene: Scene) -> Answer? {
        let objects = scene.objects
        switch query {
        case let .count(filter):
            return .number(objects.filter { object in
                (filter.color.map { $0 == object.color } ?? true) && (filter.kind.map { $0 == object.kind } ?? true)
            }.count)
        case let .existence(category):
            return .yesNo(objects.contains { $0.color == category.color && $0.kind == category.kind })
        case let .relation(subject, reference):
            let subjects = objects.filter { $0.category == subject }
            let references = objects.filter { $0.category == reference }
            guard subjects.count == 1, references.count == 1 else { return nil }
            return relation(subjects[0], references[0]).map(Answer.relation)
        case let .color(kind):
            let matching = objects.filter { $0.kind == kind }
            return matching.count == 1 ? .color(matching[0].color) : nil
        case let .kind(color):
            let matching = objects.filter { $0.color == color }
            return matching.count == 1 ? .kind(matching[0].kind) : nil
        }
    }

    /// The relation by the centres' larger offset, when the boxes do not overlap along it.
    static func relation(_ subject: SceneObject, _ reference: SceneObject) -> SpatialRelation? {
        let dx = subject.centerX - reference.centerX, dy = subject.centerY - reference.centerY
        let a = subject.boundingBox, b = reference.boundingBox
        if abs(dx) > abs(dy) {
            let apart = a.maxX < b.minX || b.maxX < a.minX
            return apart ? (dx < 0 ? .left : .right) : nil
        }
        let apart = a.maxY < b.minY || b.maxY < a.minY
        return apart ? (dy < 0 ? .above : .below) : nil
    }

    /// The option text a correct answer must appear as, in the wording of each question kind.
    static func optionText(_ answer: Answer, kind: QuestionKind, scene: Scene, query: Query) -> String {
        switch (answer, kind) {
        case let (.number(count), _): return String(count)
        case let (.relation(relation), .relationCaption):
            guard case let .relation(subject, reference) = query else { return "" }
            let article = { (c: ObjectCategory) in c.color == .orange ? "an" : "a" }
            let phrase = [SpatialRelation.left: "to the left of", .right: "to the right of",
                          .above: "above", .below: "below"][relation]!
            let text = "\(article(subject)) \(subject.color.rawValue) \(subject.kind.rawValue) \(phrase) "
                + "\(article(reference)) \(reference.color.rawValue) \(reference.kind.rawValue)"
            return text.prefix(1).uppercased() + text.dropFirst()
        case let (.relation(relation), .pairChoice): return relation.rawValue.capitalized
        case let (.relation(relation), _): return relation.rawValue
        case let (.color(color), .pairChoice): return color.rawValue.capitalized
        case let (.color(color), _): return color.rawValue
        case let (.kind(kind), _): return kind.rawValue
        case let (.yesNo(value), _): return value ? "Yes" : "No"
        }
    }
}
