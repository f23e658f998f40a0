import {
  DIAGRAM_END,
  DIAGRAM_START,
  renderErDiagram,
  renderSchemaSql,
  replaceDiagram,
  type SchemaSnapshot,
  type SnapshotTable,
} from './schema-snapshot';

const table = (name: string, rest: Partial<SnapshotTable>): SnapshotTable => ({
  schema: 'app',
  name,
  qualified: `app.${name}`,
  columns: [],
  constraints: [],
  indexes: [],
  triggers: [],
  ownedSequences: [],
  ...rest,
});

const id = { name: 'id', type: 'uuid', notNull: true, extra: 'DEFAULT gen_random_uuid()' };
const pkey = (name: string) => ({
  name: `${name}_pkey`,
  kind: 'p',
  definition: 'PRIMARY KEY (id)',
  columns: ['id'],
});

/** Owners, each with at most one profile (unique owner_id) and any number of optional notes. */
const SNAPSHOT: SchemaSnapshot = {
  schemas: ['app'],
  enums: [],
  functions: [],
  sequences: [],
  tables: [
    table('owners', { columns: [id], constraints: [pkey('owners')] }),
    table('profiles', {
      columns: [
        id,
        { name: 'owner_id', type: 'uuid', notNull: true, extra: '' },
        { name: 'seen_at', type: 'timestamp with time zone', notNull: false, extra: '' },
      ],
      constraints: [
        pkey('profiles'),
        {
          name: 'profiles_owner_id_key',
          kind: 'u',
          definition: 'UNIQUE (owner_id)',
          columns: ['owner_id'],
        },
        {
          name: 'profiles_owner_id_fkey',
          kind: 'f',
          definition: 'FOREIGN KEY (owner_id) REFERENCES app.owners(id) ON DELETE CASCADE',
          columns: ['owner_id'],
          references: 'app.owners',
        },
      ],
      indexes: ['CREATE INDEX profiles_seen_at_idx ON app.profiles USING btree (seen_at)'],
    }),
    table('notes', {
      columns: [id, { name: 'owner_id', type: 'uuid', notNull: false, extra: '' }],
      constraints: [
        pkey('notes'),
        {
          name: 'notes_owner_id_fkey',
          kind: 'f',
          definition: 'FOREIGN KEY (owner_id) REFERENCES app.owners(id) ON DELETE SET NULL',
          columns: ['owner_id'],
          references: 'app.owners',
        },
      ],
    }),
  ],
};

describe('schema snapshot rendering', () => {
  it('renders tables with their constraints and indexes, and the foreign keys after every table', () => {
    expect(renderSchemaSql(SNAPSHOT)).toBe(
      [
        'CREATE SCHEMA app;',
        'CREATE TABLE app.owners (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n' +
          '    CONSTRAINT owners_pkey PRIMARY KEY (id)\n);',
        'CREATE TABLE app.profiles (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n' +
          '    owner_id uuid NOT NULL,\n    seen_at timestamp with time zone,\n' +
          '    CONSTRAINT profiles_pkey PRIMARY KEY (id),\n' +
          '    CONSTRAINT profiles_owner_id_key UNIQUE (owner_id)\n);',
        'CREATE INDEX profiles_seen_at_idx ON app.profiles USING btree (seen_at);',
        'CREATE TABLE app.notes (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n' +
          '    owner_id uuid,\n    CONSTRAINT notes_pkey PRIMARY KEY (id)\n);',
        'ALTER TABLE ONLY app.profiles\n    ADD CONSTRAINT profiles_owner_id_fkey ' +
          'FOREIGN KEY (owner_id) REFERENCES app.owners(id) ON DELETE CASCADE;',
        'ALTER TABLE ONLY app.notes\n    ADD CONSTRAINT notes_owner_id_fkey ' +
          'FOREIGN KEY (owner_id) REFERENCES app.owners(id) ON DELETE SET NULL;',
      ].join('\n\n') + '\n',
    );
  });

  it('draws a foreign key as optional when nullable and as one-to-one when unique', () => {
    expect(renderErDiagram(SNAPSHOT).split('\n')).toEqual([
      'erDiagram',
      '    app_owners ||--o| app_profiles : "owner_id"',
      '    app_owners |o--o{ app_notes : "owner_id"',
      '    app_owners {',
      '        uuid id PK',
      '    }',
      '    app_profiles {',
      '        uuid id PK',
      '        uuid owner_id FK, UK "ON DELETE CASCADE"',
      '        timestamptz seen_at "nullable"',
      '    }',
      '    app_notes {',
      '        uuid id PK',
      '        uuid owner_id FK "nullable, ON DELETE SET NULL"',
      '    }',
      '',
    ]);
  });

  it('replaces only what lies between the diagram markers, and refuses a text without them', () => {
    const markdown = `# Schema\n\n${DIAGRAM_START}\n\nold\n\n${DIAGRAM_END}\n\nAfter.\n`;

    expect(replaceDiagram(markdown, 'erDiagram\n')).toBe(
      `# Schema\n\n${DIAGRAM_START}\n\n\`\`\`mermaid\nerDiagram\n\`\`\`\n\n${DIAGRAM_END}\n\nAfter.\n`,
    );
    expect(() => replaceDiagram('# Schema\n', 'erDiagram\n')).toThrow('markers are missing');
  });
});
