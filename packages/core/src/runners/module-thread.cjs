// The module pool's entry in each worker thread. CommonJS on purpose: piscina loads its entry
// with require(), and on Node 20 a thread terminated (a timeout, the pool closing) while require()
// instantiates an ES module aborts the whole process ("Assertion failed: ...
// CreateRequiredModuleFacade", "IsGraphAsync must be used on an instantiated module"). An
// import() that a termination interrupts just stops, so the ES module is imported from here.
const loading = import('./module-worker.mjs');
// A thread that is terminated before the import settles never runs a task.
loading.catch(() => {});

module.exports = (task) => loading.then((worker) => worker.default(task));
