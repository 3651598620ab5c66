// Imported first by run.ts, before any framework or entra-verify module: the benchmark runs with
// NODE_ENV=production unless told otherwise, as servers do. (Outside production, entra-verify logs
// refusals to the console by default, which would print lines in the middle of the tables, and
// Express and Koa pick their development behaviour.)
process.env.NODE_ENV ??= 'production';
export {};
