CREATE TABLE "clusters" (
	"name" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"tier" text,
	"bootstrap" text[] NOT NULL,
	"broker_count" integer NOT NULL,
	"zone" text,
	"state" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clusters_role_check" CHECK ("clusters"."role" in ('fronting', 'consumer')),
	CONSTRAINT "clusters_tier_check" CHECK ("clusters"."tier" in ('low', 'medium', 'high')),
	CONSTRAINT "clusters_state_check" CHECK ("clusters"."state" in ('active', 'draining', 'failed', 'retired')),
	CONSTRAINT "clusters_tier_matches_role" CHECK (("clusters"."role" = 'fronting') = ("clusters"."tier" is not null)),
	CONSTRAINT "clusters_bootstrap_not_empty" CHECK (cardinality("clusters"."bootstrap") > 0),
	CONSTRAINT "clusters_broker_count_positive" CHECK ("clusters"."broker_count" > 0)
);
