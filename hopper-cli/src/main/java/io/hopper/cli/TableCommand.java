package io.hopper.cli;

import io.hopper.store.TableRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hopper table list|show|drop}: look at and remove tables in the store.
 */
@Command(name = "table", description = "List, show and drop tables in the store.",
        subcommands = {TableCommand.ListTables.class, TableCommand.Show.class, TableCommand.Drop.class})
final class TableCommand implements Runnable {

    @ParentCommand
    HopperCli root;

    @Override
    public void run() {
        throw new IllegalArgumentException("table needs a subcommand: list, show NAME or drop NAME");
    }

    /** {@code table list}: one table name per line. */
    @Command(name = "list", description = "Print one table name per line.")
    static final class ListTables implements Runnable {
        @ParentCommand
        TableCommand parent;

        @Override
        public void run() {
            parent.root.hopper().store().listTables().forEach(parent.root.out()::println);
        }
    }

    /** {@code table show NAME}: the rows as JSON or CSV. */
    @Command(name = "show", description = "Print a table's rows as JSON (default) or CSV.")
    static final class Show implements Runnable {
        @ParentCommand
        TableCommand parent;

        @Parameters(paramLabel = "NAME", description = "The table.")
        String name;

        @Option(names = "--format", defaultValue = "json", description = "json or csv (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public void run() {
            parent.root.hopper().showTable(name, TableRenderer.Format.parse(format), parent.root.out());
        }
    }

    /** {@code table drop NAME}: drops a table and, for a model table, its companions. */
    @Command(name = "drop", description = "Drop a table (and for a model output table its _info, _summary and _schedule).")
    static final class Drop implements Runnable {
        @ParentCommand
        TableCommand parent;

        @Parameters(paramLabel = "NAME", description = "The table.")
        String name;

        @Override
        public void run() {
            for (String dropped : parent.root.hopper().dropTable(name)) {
                parent.root.out().println("dropped " + dropped);
            }
        }
    }
}
