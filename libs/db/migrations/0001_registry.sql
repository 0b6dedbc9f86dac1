CREATE TABLE "applications" (
	"id" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"contact" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_id_format" CHECK ("applications"."id" ~ '^[a-z0-9][a-z0-9._-]{0,62}$')
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_sessions" (
	"client_id" text PRIMARY KEY NOT NULL,
	"application" text NOT NULL,
	"kind" text NOT NULL,
	"host" text,
	"mapping_version" integer,
	"produces" text[] DEFAULT '{}'::text[] NOT NULL,
	"consumes" text[] DEFAULT '{}'::text[] NOT NULL,
	"group_id" text,
	"produced" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"consumed" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"application" text NOT NULL,
	"kind" text NOT NULL,
	"token_hash" text,
	"subject" text,
	"role" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "credentials_kind_check" CHECK ("credentials"."kind" in ('token', 'mtls')),
	CONSTRAINT "credentials_role_check" CHECK ("credentials"."role" in ('admin', 'operator', 'viewer')),
	CONSTRAINT "credentials_secret_matches_kind" CHECK (("credentials"."kind" = 'token' and "credentials"."token_hash" is not null and "credentials"."subject" is null) or ("credentials"."kind" = 'mtls' and "credentials"."subject" is not null and "credentials"."token_hash" is null))
);
--> statement-breakpoint
CREATE TABLE "handoffs" (
	"topic" text PRIMARY KEY NOT NULL,
	"from_cluster" text NOT NULL,
	"to_cluster" text NOT NULL,
	"keyed" boolean NOT NULL,
	"sealed" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mapping_head" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "mapping_head_single_row" CHECK ("mapping_head"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "mapping_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"author" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mapping_versions_positive" CHECK ("mapping_versions"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "operations" (
	"workflow_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"input" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"started_by" text NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operations_state_check" CHECK ("operations"."state" in ('running', 'completed', 'failed', 'aborted'))
);
--> statement-breakpoint
CREATE TABLE "placements" (
	"topic" text NOT NULL,
	"cluster" text NOT NULL,
	"side" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "placements_topic_cluster_side_pk" PRIMARY KEY("topic","cluster","side"),
	CONSTRAINT "placements_side_check" CHECK ("placements"."side" in ('producer', 'consumer'))
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "policies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"application" text NOT NULL,
	"verb" text NOT NULL,
	"resource" text NOT NULL,
	"effect" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policies_verb_check" CHECK ("policies"."verb" in ('GET', 'PUT', 'POST', 'DELETE', '*')),
	CONSTRAINT "policies_effect_check" CHECK ("policies"."effect" in ('allow', 'deny'))
);
--> statement-breakpoint
CREATE TABLE "quotas" (
	"application" text PRIMARY KEY NOT NULL,
	"bytes_per_second" bigint,
	"requests_per_second" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quotas_bytes_positive" CHECK ("quotas"."bytes_per_second" is null or "quotas"."bytes_per_second" > 0),
	CONSTRAINT "quotas_requests_positive" CHECK ("quotas"."requests_per_second" is null or "quotas"."requests_per_second" > 0)
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"name" text PRIMARY KEY NOT NULL,
	"tier" text NOT NULL,
	"partitions" integer NOT NULL,
	"replicas" integer NOT NULL,
	"retention_ms" bigint NOT NULL,
	"keyed" boolean DEFAULT false NOT NULL,
	"owner" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "topics_tier_check" CHECK ("topics"."tier" in ('low', 'medium', 'high')),
	CONSTRAINT "topics_partitions_positive" CHECK ("topics"."partitions" > 0),
	CONSTRAINT "topics_replicas_positive" CHECK ("topics"."replicas" > 0),
	CONSTRAINT "topics_retention_positive" CHECK ("topics"."retention_ms" > 0)
);
--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_application_applications_id_fk" FOREIGN KEY ("application") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_topic_topics_name_fk" FOREIGN KEY ("topic") REFERENCES "public"."topics"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_from_cluster_clusters_name_fk" FOREIGN KEY ("from_cluster") REFERENCES "public"."clusters"("name") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_to_cluster_clusters_name_fk" FOREIGN KEY ("to_cluster") REFERENCES "public"."clusters"("name") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placements" ADD CONSTRAINT "placements_topic_topics_name_fk" FOREIGN KEY ("topic") REFERENCES "public"."topics"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placements" ADD CONSTRAINT "placements_cluster_clusters_name_fk" FOREIGN KEY ("cluster") REFERENCES "public"."clusters"("name") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_application_applications_id_fk" FOREIGN KEY ("application") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotas" ADD CONSTRAINT "quotas_application_applications_id_fk" FOREIGN KEY ("application") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_owner_applications_id_fk" FOREIGN KEY ("owner") REFERENCES "public"."applications"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target");--> statement-breakpoint
CREATE INDEX "client_sessions_application_idx" ON "client_sessions" USING btree ("application");--> statement-breakpoint
CREATE INDEX "client_sessions_heartbeat_idx" ON "client_sessions" USING btree ("last_heartbeat_at");--> statement-breakpoint
CREATE INDEX "credentials_application_idx" ON "credentials" USING btree ("application");--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_subject_active_idx" ON "credentials" USING btree ("subject") WHERE "credentials"."revoked_at" is null and "credentials"."subject" is not null;--> statement-breakpoint
CREATE INDEX "operations_subject_idx" ON "operations" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "placements_cluster_idx" ON "placements" USING btree ("cluster");--> statement-breakpoint
CREATE UNIQUE INDEX "policies_rule_idx" ON "policies" USING btree ("application","verb","resource");