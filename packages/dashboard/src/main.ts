// The dashboard's entry: registers every element; index.html renders <pg-dashboard-app>.
import './styles.css';
import './components/dashboard-app.js';
