// Every table, as one object for drizzle's relational queries and for drizzle-kit.
export { clusters } from './clusters';
