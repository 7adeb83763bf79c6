import Foundation

/// Throws if two items share a question id; predictions could not be matched to them otherwise.
func requireUniqueIDs(_ items: [EvaluationItem], in directory: URL) throws {
    var seen = Set<String>()
    for item in items where !seen.insert(item.questionID).inserted {
        throw EvaluationError.duplicateQuestionID(item.questionID, file: directory, record: "question_id \(item.questionID)")
    }
}
