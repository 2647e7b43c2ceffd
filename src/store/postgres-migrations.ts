import {
  type ColumnDefinitionNode, type CreateTableNode, type DataTypeNode, GeneratedNode, type KyselyPlugin, OperationNodeTransformer,
  type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, RawNode, type RootOperationNode, type UnknownRow,
} from 'kysely'

/**
 * PostgreSQL engine file: the migrations (migrations/, frozen once landed) are Kysely schema-builder code
 * written when SQLite was the only engine. This plugin, used only while migrating a PostgreSQL store, says
 * the same things in PostgreSQL's words:
 * - an AUTOINCREMENT surrogate key is an identity column (ids never reused, as on SQLite);
 * - text columns use the "C" collation: they compare and sort byte by byte, as SQLite's do, so lists and
 *   files come out in the same order on both engines whatever the database's locale;
 * - `blob` is `bytea`; SQLite's `WITHOUT ROWID` table option is dropped (PostgreSQL has no rowid);
 * - the two SQLite-only phrases of raw SQL in the migrations: `INSERT OR IGNORE` is `ON CONFLICT DO NOTHING`,
 *   and an index on `email COLLATE NOCASE` is an index on `lower(email)` (how access search compares emails).
 */
class Translate extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    let column = super.transformColumnDefinition(node)
    // Text compares and sorts byte by byte, as SQLite's BINARY collation does, whatever the database's locale.
    if (column.dataType.kind === 'DataTypeNode' && (column.dataType as DataTypeNode).dataType === 'text') column = {...column, dataType: RawNode.createWithSql('text COLLATE "C"')}
    if (!column.autoIncrement) return column
    return {...column, autoIncrement: undefined, generated: GeneratedNode.create({byDefault: true, identity: true})}
  }

  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    return node.dataType === 'blob' ? {...node, dataType: 'bytea'} : node
  }

  protected override transformCreateTable(node: CreateTableNode): CreateTableNode {
    const table = super.transformCreateTable(node)
    const endModifiers = table.endModifiers?.filter((m) => !(RawNode.is(m) && m.sqlFragments.join('').trim().toUpperCase() === 'WITHOUT ROWID'))
    return {...table, endModifiers}
  }

  protected override transformRaw(node: RawNode): RawNode {
    const raw = super.transformRaw(node)
    const text = raw.sqlFragments.join('\u0000')
    if (/^\s*INSERT OR IGNORE INTO/i.test(text)) {
      const fragments = [...raw.sqlFragments]
      fragments[0] = fragments[0].replace(/INSERT OR IGNORE INTO/i, 'INSERT INTO')
      fragments[fragments.length - 1] += ' ON CONFLICT DO NOTHING'
      return {...raw, sqlFragments: fragments}
    }
    if (/^\s*email COLLATE NOCASE\s*$/i.test(text)) return {...raw, sqlFragments: ['lower(email)']}
    return raw
  }
}

export class PostgresMigrationPlugin implements KyselyPlugin {
  readonly #translate = new Translate()

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#translate.transformNode(args.node)
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}
