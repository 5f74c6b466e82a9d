import TraingateCommands

/// The `traingate` executable: the commands live in TraingateCommands, where tests reach them.
@main
enum Main {
    static func main() async {
        await TraingateCommand.main()
    }
}
