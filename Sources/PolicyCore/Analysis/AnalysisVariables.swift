/// The variables of one analysis (group templates, or role names) and where its decision diagram
/// tests them. Their numbers follow the names' bytes, the order answers are listed in; their
/// levels follow the order in which the expressions first name them, which keeps the diagram
/// small: in `a/1 and b/1 or a/2 and b/2 or …`, byte order would test every `a/i` before any
/// `b/i`, and the diagram would double with each pair; the expression's own order keeps it linear.
/// Answers never depend on the levels, only the cost does.
struct AnalysisVariables {
    /// By number.
    let names: [ByteString]
    /// By number: the level the diagram tests it at.
    let levels: [Int]
    /// By level: the variable's number.
    let numbers: [Int]
    private let numberOfName: [ByteString: Int]

    /// `named`: the names in the order the expressions name them, repeats allowed.
    init(named: [ByteString]) {
        var seen = Set<ByteString>(), firstNamed: [ByteString] = []
        for name in named where seen.insert(name).inserted { firstNamed.append(name) }
        names = firstNamed.sorted()
        let numberOfName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        numbers = firstNamed.map { numberOfName[$0]! }
        var levels = [Int](repeating: 0, count: names.count)
        for (level, number) in numbers.enumerated() { levels[number] = level }
        self.levels = levels
        self.numberOfName = numberOfName
    }

    var count: Int { names.count }

    func level(of name: ByteString) -> Int { levels[numberOfName[name]!] }

    /// The names of a set of variables, in number (so byte) order.
    func names(_ set: VariableSet) -> [String] { set.elements.map { names[$0].string } }

    /// The function that holds exactly where `cube` does.
    func function(_ cube: Cube, in diagram: DecisionDiagram) throws -> DecisionDiagram.Node {
        let literals = cube.positive.elements.map { (level: levels[$0], positive: true) }
            + cube.negative.elements.map { (level: levels[$0], positive: false) }
        // From the deepest level up: each literal's node tests above the ones made before it.
        var node = DecisionDiagram.always
        for literal in literals.sorted(by: { $0.level > $1.level }) {
            node = try diagram.node(
                level: literal.level, low: literal.positive ? DecisionDiagram.never : node,
                high: literal.positive ? node : DecisionDiagram.never)
        }
        return node
    }
}
