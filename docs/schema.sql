-- The schema that the migrations in migrations/ build on an empty database, read from
-- PostgreSQL's catalogue by `npm run db:schema` (src/bin/write-schema.ts), which rewrites this
-- file. Do not edit it: change a migration, then run the command. Tests fail while it is stale.
-- Owners, privileges and storage settings are left out.

CREATE SCHEMA auth;

CREATE SCHEMA master;

CREATE SCHEMA app;

CREATE TYPE app.item_status AS ENUM ('draft', 'published', 'archived');

CREATE OR REPLACE FUNCTION auth.set_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$ BEGIN NEW.updated_at := now(); RETURN NEW; END $function$;

CREATE OR REPLACE FUNCTION master.categories_refuse_cycle()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
      BEGIN
        -- Serializes moves in the tree, so that two concurrent moves cannot close a cycle together.
        PERFORM pg_advisory_xact_lock(hashtext('master.categories'));
        IF EXISTS (
          WITH RECURSIVE ancestors (id, parent_id) AS (
            SELECT id, parent_id FROM "master"."categories" WHERE id = NEW.parent_id
            UNION
            SELECT c.id, c.parent_id FROM "master"."categories" c JOIN ancestors a ON c.id = a.parent_id
          )
          SELECT 1 FROM ancestors WHERE id = NEW.id
        ) THEN
          RAISE EXCEPTION 'category % cannot be its own ancestor', NEW.slug
            USING ERRCODE = 'check_violation', CONSTRAINT = 'categories_parent_id_check';
        END IF;
        RETURN NEW;
      END $function$;

CREATE SEQUENCE public.migration_history_id_seq AS integer START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1;

CREATE TABLE auth.accounts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    account_id text NOT NULL,
    provider_id text NOT NULL,
    access_token text,
    refresh_token text,
    id_token text,
    access_token_expires_at timestamp with time zone,
    refresh_token_expires_at timestamp with time zone,
    scope text,
    password text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (id),
    CONSTRAINT accounts_provider_id_account_id_key UNIQUE (provider_id, account_id)
);

CREATE INDEX accounts_user_id_idx ON auth.accounts USING btree (user_id);

CREATE TRIGGER accounts_set_updated_at BEFORE UPDATE ON auth.accounts FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at();

CREATE TABLE auth.phone_verifications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    phone_number text NOT NULL,
    user_id uuid,
    code_hash text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    attempts smallint DEFAULT '0'::smallint NOT NULL,
    verified_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT phone_verifications_pkey PRIMARY KEY (id),
    CONSTRAINT phone_verifications_attempts_check CHECK (((attempts >= 0) AND (attempts <= 5))),
    CONSTRAINT phone_verifications_phone_number_check CHECK ((phone_number ~ '^\+[1-9][0-9]{1,14}$'::text))
);

CREATE INDEX phone_verifications_phone_number_idx ON auth.phone_verifications USING btree (phone_number);

CREATE INDEX phone_verifications_user_id_idx ON auth.phone_verifications USING btree (user_id);

CREATE TRIGGER phone_verifications_set_updated_at BEFORE UPDATE ON auth.phone_verifications FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at();

CREATE TABLE auth.rate_limits (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    key text NOT NULL,
    count integer NOT NULL,
    last_request bigint NOT NULL,
    CONSTRAINT rate_limits_pkey PRIMARY KEY (id),
    CONSTRAINT rate_limits_key_key UNIQUE (key)
);

CREATE INDEX rate_limits_last_request_idx ON auth.rate_limits USING btree (last_request);

CREATE TABLE auth.sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    token text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    ip_address text,
    user_agent text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    impersonated_by uuid,
    CONSTRAINT sessions_pkey PRIMARY KEY (id),
    CONSTRAINT sessions_token_key UNIQUE (token)
);

CREATE INDEX sessions_expires_at_idx ON auth.sessions USING btree (expires_at);

CREATE INDEX sessions_impersonated_by_idx ON auth.sessions USING btree (impersonated_by);

CREATE INDEX sessions_user_id_idx ON auth.sessions USING btree (user_id);

CREATE TRIGGER sessions_set_updated_at BEFORE UPDATE ON auth.sessions FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at();

CREATE TABLE auth.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    email_verified boolean DEFAULT false NOT NULL,
    name text NOT NULL,
    image text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    phone_number text,
    phone_number_verified boolean DEFAULT false NOT NULL,
    role text DEFAULT 'user'::text NOT NULL,
    banned boolean DEFAULT false NOT NULL,
    ban_reason text,
    ban_expires timestamp with time zone,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_phone_number_key UNIQUE (phone_number),
    CONSTRAINT users_phone_number_check CHECK ((phone_number ~ '^\+[1-9][0-9]{1,14}$'::text))
);

CREATE UNIQUE INDEX users_email_lower_key ON auth.users USING btree (lower(email));

CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON auth.users FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at();

CREATE TABLE auth.verifications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    identifier text NOT NULL,
    value text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT verifications_pkey PRIMARY KEY (id)
);

CREATE INDEX verifications_identifier_idx ON auth.verifications USING btree (identifier);

CREATE TRIGGER verifications_set_updated_at BEFORE UPDATE ON auth.verifications FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at();

CREATE TABLE master.categories (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    parent_id uuid,
    slug text NOT NULL,
    name text NOT NULL,
    sort_order integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT categories_pkey PRIMARY KEY (id),
    CONSTRAINT categories_slug_key UNIQUE (slug),
    CONSTRAINT categories_parent_id_check CHECK ((parent_id <> id)),
    CONSTRAINT categories_slug_check CHECK ((slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text))
);

CREATE INDEX categories_parent_id_idx ON master.categories USING btree (parent_id);

CREATE TRIGGER categories_refuse_cycle BEFORE INSERT OR UPDATE OF parent_id ON master.categories FOR EACH ROW WHEN ((new.parent_id IS NOT NULL)) EXECUTE FUNCTION master.categories_refuse_cycle();

CREATE TRIGGER categories_set_updated_at BEFORE UPDATE ON master.categories FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at();

CREATE TABLE master.locations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    parent_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT locations_pkey PRIMARY KEY (id),
    CONSTRAINT locations_code_key UNIQUE (code),
    CONSTRAINT locations_code_check CHECK ((code ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'::text)),
    CONSTRAINT locations_parent_id_check CHECK (((parent_id IS NULL) = (length(code) = 2)))
);

CREATE INDEX locations_parent_id_idx ON master.locations USING btree (parent_id);

CREATE TRIGGER locations_set_updated_at BEFORE UPDATE ON master.locations FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at();

CREATE TABLE app.items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    category_id uuid NOT NULL,
    location_id uuid,
    title text NOT NULL,
    description text,
    status app.item_status DEFAULT 'draft'::app.item_status NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT items_pkey PRIMARY KEY (id),
    CONSTRAINT items_title_check CHECK ((length(btrim(title)) > 0))
);

CREATE INDEX items_category_id_idx ON app.items USING btree (category_id);

CREATE INDEX items_location_id_idx ON app.items USING btree (location_id);

CREATE INDEX items_user_id_created_at_id_idx ON app.items USING btree (user_id, created_at, id);

CREATE TRIGGER items_set_updated_at BEFORE UPDATE ON app.items FOR EACH ROW EXECUTE FUNCTION auth.set_updated_at();

CREATE TABLE public.migration_checksums (
    name character varying NOT NULL,
    checksum character(64) NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT migration_checksums_pkey PRIMARY KEY (name)
);

CREATE TABLE public.migration_history (
    id integer DEFAULT nextval('public.migration_history_id_seq'::regclass) NOT NULL,
    "timestamp" bigint NOT NULL,
    name character varying NOT NULL,
    CONSTRAINT migration_history_pkey PRIMARY KEY (id)
);

ALTER SEQUENCE public.migration_history_id_seq OWNED BY public.migration_history.id;

ALTER TABLE ONLY auth.accounts
    ADD CONSTRAINT accounts_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY auth.phone_verifications
    ADD CONSTRAINT phone_verifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY auth.sessions
    ADD CONSTRAINT sessions_impersonated_by_fkey FOREIGN KEY (impersonated_by) REFERENCES auth.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY auth.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY master.categories
    ADD CONSTRAINT categories_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES master.categories(id) ON DELETE RESTRICT;

ALTER TABLE ONLY master.locations
    ADD CONSTRAINT locations_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES master.locations(id) ON DELETE RESTRICT;

ALTER TABLE ONLY app.items
    ADD CONSTRAINT items_category_id_fkey FOREIGN KEY (category_id) REFERENCES master.categories(id) ON DELETE RESTRICT;

ALTER TABLE ONLY app.items
    ADD CONSTRAINT items_location_id_fkey FOREIGN KEY (location_id) REFERENCES master.locations(id) ON DELETE SET NULL;

ALTER TABLE ONLY app.items
    ADD CONSTRAINT items_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
