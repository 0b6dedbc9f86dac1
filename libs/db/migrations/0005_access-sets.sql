CREATE TABLE "access_set_head" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "access_set_head_single_row" CHECK ("access_set_head"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "access_set_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"author" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_set_versions_positive" CHECK ("access_set_versions"."version" > 0)
);
