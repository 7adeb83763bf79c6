import Foundation

/// Yes/no answer parsers of the reference evaluations.
public enum YesNoParsing {
    /// POPE's rule, from LLaVA `llava/eval/eval_pope.py` (itself from RUCAIBox/POPE `evaluate.py`):
    /// keep the text before the first ".", drop commas, split into words; the answer is "no" when
    /// a word is "no" or "not", otherwise "yes" (an empty answer is therefore "yes").
    ///
    /// Two deliberate differences from that script: words are lowercased (it matches only "No",
    /// "no" and "not", so "NO" and "Not" counted as yes) and are split at any whitespace (it
    /// splits at single spaces, so "No\n" counted as yes). Answers of a model that follows the
    /// prompt ("Yes" / "No") are parsed identically.
    public static func pope(_ rawAnswer: String) -> String {
        var firstSentence = Substring(rawAnswer)
        if let dot = firstSentence.firstIndex(of: ".") {
            firstSentence = firstSentence[..<dot]
        }
        let words = firstSentence.replacingOccurrences(of: ",", with: "").lowercased()
            .split(whereSeparator: \.isWhitespace)
        return words.contains("no") || words.contains("not") ? "no" : "yes"
    }

    /// MME's rule, from lmms-eval `lmms_eval/tasks/mme/utils.py` `parse_pred_ans` (after Otter and
    /// the MME `eval_tool/calculation.py`): lowercase, trim, delete "."; "yes"/"no" as they are;
    /// a single "y"/"n"; otherwise "yes" or "no" found within the first four characters.
    /// Anything else is "other", returned as nil, and is never correct.
    public static func mme(_ rawAnswer: String) -> String? {
        let answer = rawAnswer.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: ".", with: "")
        if answer == "yes" || answer == "no" { return answer }
        if answer.count == 1 {
            switch answer {
            case "y": return "yes"
            case "n": return "no"
            default: return nil
            }
        }
        let prefix = answer.prefix(4)
        if prefix.contains("yes") { return "yes" }
        if prefix.contains("no") { return "no" }
        return nil
    }
}
