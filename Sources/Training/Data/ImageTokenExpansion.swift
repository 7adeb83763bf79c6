extension EncodedConversation {
    /// The encoding with every `imageTokenID` replaced by `count` copies of it (one per visual
    /// token the model inserts there), each with label `ignoredLabel`, so that lengths and
    /// truncation are those the model sees.
    public func expandingImageTokens(_ imageTokenID: Int, count: Int) -> EncodedConversation {
        precondition(count > 0, "an image has at least one visual token")
        var ids: [Int] = []
        var expandedLabels: [Int] = []
        ids.reserveCapacity(inputIDs.count + count)
        expandedLabels.reserveCapacity(inputIDs.count + count)
        for (id, label) in zip(inputIDs, labels) {
            if id == imageTokenID {
                ids += repeatElement(imageTokenID, count: count)
                expandedLabels += repeatElement(ignoredLabel, count: count)
            } else {
                ids.append(id)
                expandedLabels.append(label)
            }
        }
        return EncodedConversation(inputIDs: ids, labels: expandedLabels, labelsMaskedForMismatch: labelsMaskedForMismatch)
    }

    /// The first `maxLength` positions (ids and their labels), and whether an `imageTokenID`
    /// position was among those cut.
    public func truncated(to maxLength: Int, imageTokenID: Int) -> (encoding: EncodedConversation, imageTruncated: Bool) {
        precondition(maxLength > 0, "the maximum length is positive")
        guard inputIDs.count > maxLength else { return (self, false) }
        let imageTruncated = inputIDs[maxLength...].contains(imageTokenID)
        let kept = EncodedConversation(inputIDs: Array(inputIDs.prefix(maxLength)),
                                       labels: Array(labels.prefix(maxLength)),
                                       labelsMaskedForMismatch: labelsMaskedForMismatch)
        return (kept, imageTruncated)
    }
}
