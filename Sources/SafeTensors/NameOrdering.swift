/// Orders names by their UTF-8 bytes, as Rust's `String` and Python's `sorted` do (Swift's `<`
/// on `String` compares Unicode canonical equivalents and can disagree on non-ASCII names).
func bytewiseLess(_ left: String, _ right: String) -> Bool {
    left.utf8.lexicographicallyPrecedes(right.utf8)
}
