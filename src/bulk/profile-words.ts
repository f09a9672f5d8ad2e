// Word lists that generated profiles are built from.

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William',
  'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen', 'Daniel', 'Lisa', 'Matthew',
  'Nancy', 'Anthony', 'Sandra', 'Mark', 'Ashley', 'Paul', 'Emily', 'Steven', 'Michelle', 'Andrew', 'Amanda', 'Kenji',
  'Yuki', 'Aiko', 'Hiroshi', 'Wei', 'Mei', 'Li', 'Priya', 'Arjun', 'Ananya', 'Rahul', 'Fatima', 'Omar', 'Aisha', 'Ahmed',
  'Sofia', 'Mateo', 'Valentina', 'Santiago', 'Lucia', 'Diego', 'Camila', 'Jose', 'Ana', 'Pedro', 'Ines', 'Joao', 'Beatriz',
  'Lukas', 'Hannah', 'Jonas', 'Lena', 'Felix', 'Mia', 'Noah', 'Emma', 'Liam', 'Olivia', 'Lucas', 'Chloe', 'Hugo', 'Lea',
  'Ivan', 'Olga', 'Dmitri', 'Anya', 'Kwame', 'Amara', 'Chidi', 'Zara', 'Nia', 'Tariq', 'Leila', 'Sven', 'Ingrid', 'Mika',
  'Freya', 'Oscar', 'Elena', 'Marco', 'Giulia', 'Luca', 'Chiara', 'Niamh', 'Sean', 'Aoife', 'Tomas', 'Zoe', 'Max',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson',
  'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell',
  'Tanaka', 'Suzuki', 'Sato', 'Watanabe', 'Wang', 'Zhang', 'Chen', 'Liu', 'Patel', 'Sharma', 'Singh', 'Kumar', 'Khan',
  'Hassan', 'Ali', 'Silva', 'Santos', 'Oliveira', 'Costa', 'Pereira', 'Muller', 'Schmidt', 'Schneider', 'Fischer',
  'Weber', 'Dubois', 'Moreau', 'Laurent', 'Bernard', 'Rossi', 'Russo', 'Ferrari', 'Bianchi', 'Ivanov', 'Petrov',
  'Novak', 'Kowalski', 'Nowak', 'Jensen', 'Hansen', 'Nielsen', 'Larsen', 'Okafor', 'Mensah', 'Diallo', 'Murphy',
  'Kelly', 'OBrien', 'Byrne', 'Kim', 'Park', 'Choi', 'Yilmaz', 'Kaya', 'Cohen', 'Levi', 'Andersson', 'Berg',
];

export const HANDLE_WORDS = [
  'real', 'the', 'its', 'official', 'daily', 'just', 'hey', 'dev', 'art', 'music', 'photo', 'tech', 'news', 'food',
  'travel', 'code', 'data', 'game', 'film', 'book', 'coffee', 'cat', 'dog', 'run', 'bike', 'surf', 'yoga', 'chef',
];

export const LOCATIONS = [
  'New York, NY', 'Los Angeles, CA', 'San Francisco, CA', 'Chicago, IL', 'Austin, TX', 'Seattle, WA', 'Boston, MA',
  'London, England', 'Manchester, England', 'Dublin, Ireland', 'Paris, France', 'Berlin, Germany', 'Munich, Germany',
  'Madrid, Spain', 'Barcelona', 'Lisbon, Portugal', 'Rome, Italy', 'Milan', 'Amsterdam', 'Stockholm', 'Oslo', 'Helsinki',
  'Warsaw, Poland', 'Istanbul', 'Lagos, Nigeria', 'Nairobi, Kenya', 'Cairo, Egypt', 'Johannesburg', 'Dubai',
  'Mumbai, India', 'Bangalore', 'New Delhi', 'Tokyo, Japan', 'Osaka', 'Seoul, Korea', 'Beijing', 'Shanghai',
  'Singapore', 'Sydney, Australia', 'Melbourne', 'Auckland', 'Toronto, Ontario', 'Vancouver, BC', 'Montreal',
  'Mexico City', 'Sao Paulo, Brazil', 'Rio de Janeiro', 'Buenos Aires', 'Santiago, Chile', 'Bogota', 'Lima, Peru',
  'Earth', 'Everywhere', 'the internet', 'Somewhere over the rainbow', 'USA', 'UK', 'Canada', 'Worldwide',
];

export const ROLES = [
  'Software engineer', 'Designer', 'Photographer', 'Writer', 'Journalist', 'Teacher', 'Student', 'Nurse', 'Doctor',
  'Researcher', 'Product manager', 'Founder', 'Artist', 'Musician', 'Chef', 'Runner', 'Gamer', 'Podcaster', 'Editor',
  'Data scientist', 'Lawyer', 'Architect', 'Filmmaker', 'Illustrator', 'Community manager', 'Economist', 'Librarian',
];

export const INTERESTS = [
  'coffee', 'open source', 'cycling', 'jazz', 'football', 'basketball', 'cats', 'dogs', 'hiking', 'sci-fi', 'cooking',
  'travel', 'typography', 'climate', 'space', 'history', 'poetry', 'chess', 'photography', 'startups', 'gardening',
  'running', 'books', 'film', 'vinyl', 'baking', 'maps', 'board games', 'birds', 'the ocean', 'mountains', 'anime',
];

export const TAGLINES = [
  'Views are my own.', 'Opinions my own.', 'RTs are not endorsements.', 'Probably outside.', 'Here for the replies.',
  'Trying my best.', 'Still learning.', 'Making things.', 'He/him', 'She/her', 'They/them', 'Be kind.', '',
];

export const URL_HOSTS = ['github.com', 'medium.com', 'substack.com', 'linkedin.com/in', 'instagram.com', 'youtube.com/@'];
