// The Fastify 4 copy installed as `fastify4` (npm alias) has the same API surface for our use.
declare module 'fastify4' {
  import fastify from 'fastify';
  export default fastify;
}
