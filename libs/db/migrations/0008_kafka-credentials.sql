CREATE TABLE "kafka_credentials" (
	"application" text PRIMARY KEY NOT NULL,
	"generation" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kafka_credentials_generation_positive" CHECK ("kafka_credentials"."generation" > 0)
);
--> statement-breakpoint
ALTER TABLE "kafka_credentials" ADD CONSTRAINT "kafka_credentials_application_applications_id_fk" FOREIGN KEY ("application") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;