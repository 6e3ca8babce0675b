// The experiment GUI arrives with the coordinator issues; until then the window says what
// the command line already does.
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem', maxWidth: 720 }}>
      <h1>PassK Lab</h1>
      <p>
        The desktop coordinator is not built yet. The command line works today: run{' '}
        <code>npx passk --help</code> in the project folder.
      </p>
    </main>
  );
}
