ALTER TABLE "clusters" ADD COLUMN "capacity_bytes_per_sec" bigint;--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "bytes_in_per_sec" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "consumers" integer DEFAULT 1 NOT NULL;